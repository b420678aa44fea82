#!/usr/bin/env python
"""Run the ansible-core version matrix of `make test` and print a closing table.

    python3 hack/matrix.py [--lines '2.16 2.22'] [--tools 'import-check extra-checks lint docs-lint smoke awx']
    python3 hack/matrix.py --find-python 3.12,3.13   (the path of the first found; used by the Makefile)

For each line in hack/matrix/plan.txt (or those given with --lines):

1. find its controller Python (``python3.X`` on PATH, then the pyenv roots: ``$PYENV_ROOT``,
   ``/root/.pyenv`` and ``~/.pyenv``, each ``versions/*/bin/python3.X``); a missing one fails the
   line with a message naming what is missing;
2. create or reuse ``.venv-matrix/<line>/`` (git-ignored, never touched by the stage), rebuilt from
   scratch when hack/matrix/requirements-<line>.txt or the interpreter changes (a stamp file holds
   their hash);
3. put the offline get-pip bootstrap where that line's ansible-test looks for it, for each Python
   version it uses (hack/install-get-pip.py: the pip version differs between lines);
4. stage the work tree into ``build/matrix/<line>/ansible_collections/otc_community/sfs_turbo/``
   (a copy of its own per line) and run the line's steps there with ansible-test ``--venv``;
5. run the tool steps (``make <target>`` with the dev virtualenv .venv/), and print the table:
   line x step, passed/failed, seconds, and a closing ``N passed, N failed`` line.

Nothing is tested twice: the sanity tests plan.txt lists with ``sanity-once <line>`` run on that line
only (their verdict does not depend on the line; plan.txt says why for each). The integration step
shares the targets out among --integration-jobs ansible-test runs side by side (ansible-test runs
targets one after the other, and they mostly wait on the emulator), each in a copy of the line's stage,
by the seconds in hack/matrix/integration-seconds.txt; it runs in a thread of its own, so the worker
goes on with the line's next steps and lines meanwhile. The table then lists each target's seconds.

With --jobs 2 (the default) the lines run in two workers, grouped by controller Python: ansible-test
keeps its sanity virtualenvs in ~/.ansible/test/venv/<test>/<python version>/<hash>, so two lines on
the same Python could build the same one at once, while lines on different Pythons never share one.
Each line has its own stage, virtualenv and smoke directory; the smoke steps use a copy of the
tarball made before the workers start (build/matrix/dist/), because `make smoke`/`make awx` rebuild
build/dist/. Every step's output goes to build/matrix/logs/<line>.<step>.log; a failed step's errors
and last lines are printed. Every step runs even when an earlier one failed; the exit status is 1 if
any failed. Each step is bounded in time (--step-timeout). The table is also written to
build/matrix/summary.txt.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
MATRIX_DIR = REPO / 'hack' / 'matrix'
VENV_ROOT = REPO / '.venv-matrix'
BUILD = REPO / 'build'
WORK = BUILD / 'matrix'
NAMESPACE, NAME = 'otc_community', 'sfs_turbo'
LOGS = WORK / 'logs'
DIST = WORK / 'dist'
EXTRA_UNITS_PYTHON = '3.9'
PRINT_LOCK = threading.Lock()
LINE_STEPS = ('sanity', 'units', 'units-py3.9', 'integration', 'smoke')
URL_SKIP = 'url-skip='
SANITY_ONCE = 'sanity-once'
# Seconds each integration target took in a real run (a target not listed counts as the median),
# used to share the targets out among the side-by-side ansible-test runs of one line.
TARGET_SECONDS = MATRIX_DIR / 'integration-seconds.txt'


class Line:
    def __init__(self, name: str, pythons: list[str], steps: list[str], url_skips: list[str] | None = None):
        self.name = name
        self.pythons = pythons
        self.steps = steps
        self.url_skips = url_skips or []  # sanity tests skipped while ansible-test's requirements for them name a URL
        self.once_skips: list[str] = []  # sanity tests another line runs for all (plan.txt's sanity-once)
        self.once_line = None
        self.once_tests: list[str] = []  # on the sanity-once line: the tests it runs for all
        self.target_seconds: dict[str, int] = {}  # integration target -> seconds ansible-test measured
        self.core_version = None  # the ansible-core version installed in the line's virtualenv
        self.pins = MATRIX_DIR / ('requirements-%s.txt' % name)
        self.venv = VENV_ROOT / name
        self.stage = WORK / name / 'ansible_collections' / NAMESPACE / NAME
        self.python_version = None  # the controller Python version picked for this line


def read_plan(wanted: list[str] | None) -> list[Line]:
    lines = []
    once_line, once_tests = None, []
    for raw in (MATRIX_DIR / 'plan.txt').read_text().splitlines():
        raw = raw.split('#', 1)[0].strip()
        if not raw:
            continue
        if raw.split()[0] == SANITY_ONCE:
            dummy, once_line, *once_tests = raw.split()
            continue
        name, pythons, *words = raw.split()
        steps = [w for w in words if not w.startswith(URL_SKIP)]
        url_skips = [w[len(URL_SKIP):] for w in words if w.startswith(URL_SKIP)]
        unknown = sorted(set(steps) - set(LINE_STEPS))
        if unknown:
            raise SystemExit('matrix: plan.txt: unknown step(s) %s for %s' % (', '.join(unknown), name))
        lines.append(Line(name, pythons.split(','), steps, url_skips))
    if wanted:
        known = {line.name for line in lines}
        missing = [w for w in wanted if w not in known]
        if missing:
            raise SystemExit('matrix: no line %s in hack/matrix/plan.txt (it has %s)' % (', '.join(missing), ', '.join(sorted(known))))
        lines = [line for line in lines if line.name in wanted]
    # sanity-once <line> <tests>: the other lines skip those tests, unless <line> is not in this run
    # (LINES=...): then every line runs them, so nothing goes untested.
    if once_line in {line.name for line in lines}:
        for line in lines:
            if line.name != once_line:
                line.once_skips = once_tests
                line.once_line = once_line
            else:
                line.once_tests = once_tests
    return lines


# --- interpreters --------------------------------------------------------------------------

def pyenv_roots() -> list[pathlib.Path]:
    roots = []
    for root in (os.environ.get('PYENV_ROOT'), '/root/.pyenv', os.path.expanduser('~/.pyenv')):
        if root and pathlib.Path(root) not in roots:
            roots.append(pathlib.Path(root))
    return roots


def _reported_version(path: str) -> str | None:
    """The X.Y the interpreter reports, or None if it does not run (e.g. a pyenv shim for a version not selected)."""
    try:
        out = subprocess.run([path, '-c', 'import sys; print("%d.%d" % sys.version_info[:2])'],
                             capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def python_candidates(version: str) -> list[str]:
    exe = 'python' + version
    found = []
    on_path = shutil.which(exe)
    if on_path:
        found.append(on_path)
    for root in pyenv_roots():
        # newest patch release first
        found.extend(sorted(glob.glob(str(root / 'versions' / '*' / 'bin' / exe)), reverse=True))
    return found


def find_python(version: str) -> str | None:
    for candidate in python_candidates(version):
        if _reported_version(candidate) == version:
            return os.path.realpath(candidate)
    return None


def where_we_looked(versions: list[str]) -> str:
    places = ['PATH'] + ['%s/versions/*/bin' % root for root in pyenv_roots()]
    return 'looked for %s in %s' % (' and '.join('python' + v for v in versions), ', '.join(places))


# --- running steps -------------------------------------------------------------------------

class Result:
    def __init__(self, status: str, seconds: float | None = None, note: str = ''):
        self.status = status  # passed, failed, skipped, not covered
        self.seconds = seconds
        self.note = note

    def cell(self) -> str:
        text = self.status
        if self.seconds is not None:
            text += ' %ds' % round(self.seconds)
        if self.note:
            text += ' (%s)' % self.note
        return text


def say(text: str, err: bool = False) -> None:
    with PRINT_LOCK:
        print(text, file=sys.stderr if err else sys.stdout, flush=True)


def run(cmd: list[str], *, cwd: pathlib.Path, env: dict[str, str], timeout: int, log: pathlib.Path, capture: bool = False) -> tuple[int, str]:
    """Run cmd in its own process group, output appended to log; kill that group (only it) past timeout."""
    with log.open('a') as out:
        out.write('$ %s\n' % ' '.join(cmd))
        out.flush()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, start_new_session=True, text=True, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE if capture else out, stderr=out)
        try:
            stdout, dummy = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            out.write('matrix: stopped after %ds\n' % timeout)
            say('matrix: %s ran longer than %ds and was stopped' % (' '.join(cmd), timeout), err=True)
            return 124, ''
    return proc.returncode, stdout or ''


def show_failure(label: str, log: pathlib.Path) -> None:
    """Print what a failed step said: its ERROR lines and its last lines."""
    lines = log.read_text(errors='replace').splitlines()
    errors = [line for line in lines[:-40] if line.startswith(('ERROR', 'FAILED', 'fatal:', 'E   '))][-60:]
    with PRINT_LOCK:
        print('--- %s: errors from %s' % (label, log.relative_to(REPO)), file=sys.stderr)
        for line in errors + ['...'] + lines[-40:]:
            print('    ' + line, file=sys.stderr)
        print('--- end of %s' % label, file=sys.stderr, flush=True)


def timed(label: str, cmd: list[str], *, cwd: pathlib.Path, env: dict[str, str], timeout: int, log: pathlib.Path) -> Result:
    say('matrix: %s: started (%s, log %s)' % (label, ' '.join(cmd), log.relative_to(REPO)))
    start = time.monotonic()
    code, dummy = run(cmd, cwd=cwd, env=env, timeout=timeout, log=log)
    seconds = time.monotonic() - start
    if code == 0:
        say('matrix: %s: passed in %ds' % (label, seconds))
        return Result('passed', seconds)
    say('matrix: %s: FAILED (exit %d) in %ds' % (label, code, seconds), err=True)
    show_failure(label, log)
    return Result('failed', seconds, 'timeout' if code == 124 else '')


def ensure_venv(line: Line, python: str, timeout: int, log: pathlib.Path) -> None:
    """Create .venv-matrix/<line>/ from the pins, unless its stamp says it is current."""
    version = subprocess.run([python, '-c', 'import sys; print(sys.version)'], capture_output=True, text=True, check=True).stdout
    stamp_value = hashlib.sha256(line.pins.read_bytes() + b'\0' + python.encode() + b'\0' + version.encode()).hexdigest()
    stamp = line.venv / '.pins.stamp'
    if stamp.is_file() and stamp.read_text().strip() == stamp_value and (line.venv / 'bin' / 'ansible-test').exists():
        say('matrix: %s: reusing %s (pins unchanged)' % (line.name, line.venv.relative_to(REPO)))
        if has_ranges(line.pins):
            # A range (a line whose final release is not out yet) takes the newest matching release
            # the index serves, so the final replaces the release candidate without an edit here.
            cmd = [str(line.venv / 'bin' / 'python'), '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check',
                   '--upgrade', '--upgrade-strategy', 'only-if-needed', '-r', str(line.pins)]
            code, dummy = run(cmd, cwd=REPO, env=dict(os.environ), timeout=timeout, log=log)
            if code != 0:
                raise RuntimeError('%s failed (exit %d)' % (' '.join(cmd[:4]), code))
        return
    say('matrix: %s: building %s from %s with %s' % (line.name, line.venv.relative_to(REPO), line.pins.relative_to(REPO), python))
    shutil.rmtree(line.venv, ignore_errors=True)
    env = dict(os.environ)
    for cmd in ([python, '-m', 'venv', str(line.venv)],
                [str(line.venv / 'bin' / 'python'), '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', str(line.pins)]):
        code, dummy = run(cmd, cwd=REPO, env=env, timeout=timeout, log=log)
        if code != 0:
            raise RuntimeError('%s failed (exit %d)' % (' '.join(cmd[:4]), code))
    stamp.write_text(stamp_value + '\n')


def has_ranges(pins: pathlib.Path) -> bool:
    """True if a requirement in the pins file is not pinned with ==."""
    for raw in pins.read_text().splitlines():
        raw = raw.split('#', 1)[0].strip()
        if raw and '==' not in raw:
            return True
    return False


def installed_core(line: Line) -> str:
    """The ansible-core version installed in the line's virtualenv (e.g. 2.22.0rc1)."""
    code = 'import ansible.release; print(ansible.release.__version__)'
    return subprocess.run([str(line.venv / 'bin' / 'python'), '-c', code], capture_output=True, text=True, check=True).stdout.strip()


def url_requirements(line: Line, test: str) -> list[str]:
    """The requirements ansible-test installs for sanity ``test`` that name a URL (``dill @ https://...``).

    pip fetches those from that host, not from the package index, which is all these machines reach.
    """
    code = ('import ansible_test, pathlib; print(pathlib.Path(ansible_test.__file__).parent / "_data" / "requirements" / '
            '"sanity.%s.txt")' % test)
    path = pathlib.Path(subprocess.run([str(line.venv / 'bin' / 'python'), '-c', code], capture_output=True, text=True,
                                       check=True).stdout.strip())
    if not path.is_file():
        return []
    return [raw.split('@', 1)[0].strip() for raw in path.read_text().splitlines()
            if re.search(r'@\s*[a-z+]+://', raw.split('#', 1)[0])]


def pybin_dir(pythons: dict[str, str]) -> pathlib.Path:
    """A directory with python3.X links to the interpreters found, first on PATH for ansible-test.

    ansible-test finds `--python X.Y` as `pythonX.Y` on PATH; a pyenv shim there may refuse to run
    a version that pyenv has installed but not selected, so the real binaries go first.
    """
    path = WORK / 'pybin'
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    for version, python in pythons.items():
        (path / ('python' + version)).symlink_to(python)
    return path


def log_path(line: str, step: str) -> pathlib.Path:
    return LOGS / ('%s.%s.log' % (line, step))


def run_line(line: Line, pythons: dict[str, str], base_env: dict[str, str], args, background: list[threading.Thread]) -> dict[str, Result]:
    """Run the line's steps in order; the integration step goes to a thread of its own (added to background),
    as its targets mostly wait on the emulator: the worker goes on with the next steps and lines meanwhile."""
    results: dict[str, Result] = {}
    controller = line.python_version
    if controller is None:
        message = 'no controller Python for ansible-core %s: %s' % (line.name, where_we_looked(line.pythons))
        say('matrix: FAIL: ' + message, err=True)
        results['setup'] = Result('failed', None, 'missing Python ' + ' or '.join(line.pythons))
        results.update((step, Result('failed', None, 'no setup')) for step in line.steps)
        return results

    say('matrix: %s: ansible-core %s on Python %s (%s)' % (line.name, line.name, controller, pythons[controller]))
    start = time.monotonic()
    env = dict(base_env)
    env['PATH'] = os.pathsep.join([str(line.venv / 'bin'), base_env['PATH']])
    env.pop('PYTHONPATH', None)
    log = log_path(line.name, 'setup')
    try:
        ensure_venv(line, pythons[controller], args.step_timeout, log)
        versions = [controller] + ([EXTRA_UNITS_PYTHON] if 'units-py3.9' in line.steps and EXTRA_UNITS_PYTHON in pythons else [])
        for version in versions:
            # the pip version ansible-test bootstraps differs per line and per Python version
            code, dummy = run([str(line.venv / 'bin' / 'python'), str(REPO / 'hack' / 'install-get-pip.py'), '--python-version', version],
                              cwd=REPO, env=env, timeout=300, log=log)
            if code != 0:
                raise RuntimeError('hack/install-get-pip.py --python-version %s failed' % version)
        code, dummy = run(['bash', str(REPO / 'hack' / 'stage-collection.sh'), str(REPO), str(line.stage)], cwd=REPO, env=env, timeout=300, log=log)
        if code != 0:
            raise RuntimeError('hack/stage-collection.sh failed')
    except (RuntimeError, OSError, subprocess.CalledProcessError) as ex:
        say('matrix: %s setup: FAILED: %s' % (line.name, ex), err=True)
        show_failure('%s setup' % line.name, log)
        results['setup'] = Result('failed', time.monotonic() - start, str(ex)[:60])
        results.update((step, Result('failed', None, 'no setup')) for step in line.steps)
        return results
    line.core_version = installed_core(line)
    results['setup'] = Result('passed', time.monotonic() - start, 'ansible-core ' + line.core_version)
    say('matrix: %s setup: passed in %ds (ansible-core %s)' % (line.name, results['setup'].seconds, line.core_version))
    # plan.txt's url-skip=<test>: skipped only while the line's ansible-test wants a package from a URL for
    # it, so the skip goes away by itself once a release takes that package from the index again.
    url_packages = {test: url_requirements(line, test) for test in line.url_skips}
    sanity_skips = [test for test in line.url_skips if url_packages[test]]

    ansible_test = [str(line.venv / 'bin' / 'ansible-test')]
    verbosity = [args.verbosity] if args.verbosity else []
    for step in line.steps:
        label = '%s %s' % (line.name, step)
        log = log_path(line.name, step)
        if step == 'sanity':
            code, listed = run(ansible_test + ['sanity', '--list-tests'], cwd=line.stage, env=env, timeout=300, capture=True, log=log)
            available = listed.split()
            if code != 0 or not available:
                results[step] = Result('failed', None, 'ansible-test sanity --list-tests failed')
                show_failure(label, log)
                continue
            # plan.txt's sanity-once line must name tests its line has (a typo would skip a test everywhere)
            unknown = [test for test in line.once_tests if test not in available]
            if unknown:
                say('matrix: %s: FAILED: hack/matrix/plan.txt: sanity-once names %s, which ansible-test %s does not have' % (
                    label, ', '.join(unknown), line.core_version), err=True)
                results[step] = Result('failed', None, 'sanity-once: unknown %s' % ','.join(unknown))
                continue
            # the tests the sanity-once line runs for every line; the older lines' extra tests still run here
            once = [test for test in line.once_skips if test in available]
            skip = [arg for test in sanity_skips + once for arg in ('--skip-test', test)]
            for test in sanity_skips:
                say('matrix: %s: skipping %s: ansible-test %s installs %s for it from a URL, not the package index '
                    '(hack/matrix/plan.txt, url-skip)' % (label, test, line.core_version, ', '.join(url_packages[test])))
            if once:
                say('matrix: %s: %d of %d tests (%s run on %s only: hack/matrix/plan.txt, sanity-once)' % (
                    label, len(available) - len(once), len(available), ', '.join(once), line.once_line))
            cmd = ansible_test + [step, '--venv', '--python', controller] + skip + verbosity
            results[step] = timed(label, cmd, cwd=line.stage, env=env, timeout=args.step_timeout, log=log)
            notes = results[step].note.split()
            if sanity_skips:
                notes.append('no %s on %s' % (','.join(sanity_skips), line.core_version))
            if once:
                notes.append('%d/%d tests' % (len(available) - len(once), len(available)))
            results[step].note = ' '.join(notes)
        elif step == 'units':
            cmd = ansible_test + [step, '--venv', '--python', controller] + verbosity
            results[step] = timed(label, cmd, cwd=line.stage, env=env, timeout=args.step_timeout, log=log)
        elif step == 'units-py3.9':
            if EXTRA_UNITS_PYTHON not in pythons:
                say('matrix: %s: not covered: no Python %s here (%s)' % (label, EXTRA_UNITS_PYTHON, where_we_looked([EXTRA_UNITS_PYTHON])))
                results[step] = Result('not covered', None, 'no Python %s here' % EXTRA_UNITS_PYTHON)
                continue
            cmd = ansible_test + ['units', '--venv', '--python', EXTRA_UNITS_PYTHON] + verbosity
            results[step] = timed(label, cmd, cwd=line.stage, env=env, timeout=args.step_timeout, log=log)
        elif step == 'integration':
            code, listed = run(ansible_test + ['integration', '--list-targets'], cwd=line.stage, env=env, timeout=300, capture=True, log=log)
            if code != 0:
                results[step] = Result('failed', None, 'ansible-test integration --list-targets failed')
                show_failure(label, log)
                continue
            if not listed.split():
                # hidden setup_* targets do not count; say so instead of passing silently
                results[step] = Result('skipped', None, 'no integration targets')
                continue
            say('matrix: %s targets: %s' % (label, ' '.join(listed.split())))
            # a placeholder until the thread is done (the table is printed after every thread has ended)
            results[step] = Result('failed', None, 'did not end')
            cmd = ansible_test + ['integration', '--venv', '--python', controller] + verbosity
            background.append(threading.Thread(target=integrate, args=(results, line, listed.split(), cmd, env, args),
                                               name='%s-integration' % line.name))
            background[-1].start()
        elif step == 'smoke':
            smoke_env = dict(env, VENV_BIN=str(line.venv / 'bin'), SMOKE_WORK=str(WORK / line.name / 'smoke'))
            cmd = ['bash', str(REPO / 'hack' / 'smoke.sh'), str(DIST)]
            results[step] = timed(label, cmd, cwd=REPO, env=smoke_env, timeout=args.step_timeout, log=log)
    return results


# --- integration side by side --------------------------------------------------------------

def read_target_seconds() -> dict[str, int]:
    """hack/matrix/integration-seconds.txt: '<target> <seconds>' lines (# comments)."""
    seconds = {}
    if TARGET_SECONDS.is_file():
        for raw in TARGET_SECONDS.read_text().splitlines():
            words = raw.split('#', 1)[0].split()
            if len(words) == 2 and words[1].isdigit():
                seconds[words[0]] = int(words[1])
    return seconds


def share_targets(targets: list[str], jobs: int, seconds: dict[str, int]) -> list[list[str]]:
    """Split targets into at most `jobs` groups of about equal total seconds (longest first, each to the lightest group).

    A target with no measured time counts as the median of those measured (or 60 s). The groups keep
    ansible-test's order (alphabetical) inside; the empty ones are dropped.
    """
    known = sorted(seconds[t] for t in targets if t in seconds)
    default = known[len(known) // 2] if known else 60
    cost = {t: seconds.get(t, default) for t in targets}
    groups: list[list[str]] = [[] for dummy in range(max(1, jobs))]
    for target in sorted(targets, key=lambda t: (-cost[t], t)):
        min(groups, key=lambda g: (sum(cost[t] for t in g), len(g))).append(target)
    return [sorted(g, key=targets.index) for g in groups if g]


def target_times(stage: pathlib.Path) -> dict[str, int]:
    """The seconds per target that ansible-test wrote to tests/output/data/integration-*.json in a stage."""
    times = {}
    for path in sorted((stage / 'tests' / 'output' / 'data').glob('integration-*.json')):
        try:
            data = json.loads(path.read_text())
            times.update((name, int(t['run_time_seconds'])) for name, t in data.get('targets', {}).items())
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
    return times


SSH_KEY_LOCK = threading.Lock()


def ensure_ssh_key() -> None:
    """Make ansible-test's SSH key pair (~/.ansible/test/id_rsa and .pub) before integration runs start side by side.

    Each ansible-test integration run makes it when missing (SshKey.generate_key_pair in
    ansible_test/_internal/core_ci.py: ssh-keygen, then BEGIN/END PRIVATE KEY renamed to RSA PRIVATE KEY for
    paramiko). Two runs starting at once race: the second sees the private key without the public one yet,
    runs ssh-keygen again, which asks "Overwrite (y/n)?" and fails the run. So it is made here, once, the
    same way, in a temporary directory and moved into place, public key first.
    """
    base = pathlib.Path(os.path.expanduser('~/.ansible/test'))
    with SSH_KEY_LOCK:
        if (base / 'id_rsa').is_file() and (base / 'id_rsa.pub').is_file():
            return
        base.mkdir(parents=True, exist_ok=True)
        temp = pathlib.Path(tempfile.mkdtemp(prefix='matrix-ssh-', dir=base))
        try:
            subprocess.run(['ssh-keygen', '-m', 'PEM', '-q', '-t', 'rsa', '-N', '', '-f', str(temp / 'id_rsa')],
                           check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
            key = temp / 'id_rsa'
            key.write_text(re.sub(r'(BEGIN|END) PRIVATE KEY', r'\1 RSA PRIVATE KEY', key.read_text()))
            os.replace(temp / 'id_rsa.pub', base / 'id_rsa.pub')
            os.replace(key, base / 'id_rsa')
        finally:
            shutil.rmtree(temp, ignore_errors=True)


def integrate(results: dict[str, Result], line: Line, targets: list[str], cmd: list[str], env: dict[str, str], args) -> None:
    results['integration'] = run_integration(line, targets, cmd, env=env, args=args)


def run_integration(line: Line, targets: list[str], cmd: list[str], *, env: dict[str, str], args) -> Result:
    """ansible-test integration runs its targets one after the other, and most of their time is spent waiting
    on the emulator's scripted operations. So the targets are shared out among --integration-jobs runs of
    ansible-test side by side, each in a staged copy of its own (its own tests/output/, its own --venv
    virtualenv); each target starts its own emulator on a free port. The step passes if every run passes."""
    groups = share_targets(targets, args.integration_jobs, read_target_seconds())
    label = '%s integration' % line.name
    try:
        ensure_ssh_key()
    except (OSError, subprocess.SubprocessError) as ex:
        say('matrix: %s: could not make ~/.ansible/test/id_rsa (%s); ansible-test makes it, one run at a time' % (label, ex), err=True)
        groups = [targets]
    if len(groups) == 1:
        result = timed(label, cmd + groups[0], cwd=line.stage, env=env, timeout=args.step_timeout, log=log_path(line.name, 'integration'))
        line.target_seconds = target_times(line.stage)
        return result
    results: list[Result | None] = [None] * len(groups)
    stages = []
    for index in range(len(groups)):
        stage = WORK / line.name / ('integration-%d' % (index + 1)) / 'ansible_collections' / NAMESPACE / NAME
        stages.append(stage)
        # a copy of the line's stage (no tests/output of its own yet): what it tests is what the line staged
        shutil.rmtree(stage.parents[2], ignore_errors=True)
        shutil.copytree(line.stage, stage, symlinks=True, ignore=lambda path, names: ['output'] if pathlib.Path(path) == line.stage / 'tests' else [])
    say('matrix: %s: %d ansible-test runs side by side: %s' % (label, len(groups), '; '.join(' '.join(g) for g in groups)))
    start = time.monotonic()

    def one(index: int) -> None:
        results[index] = timed('%s [%d/%d]' % (label, index + 1, len(groups)), cmd + groups[index], cwd=stages[index], env=env,
                               timeout=args.step_timeout, log=log_path(line.name, 'integration-%d' % (index + 1)))

    threads = [threading.Thread(target=one, args=(i,), name='%s-integration-%d' % (line.name, i + 1)) for i in range(len(groups))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for stage in stages:
        line.target_seconds.update(target_times(stage))
    failed = [str(i + 1) for i, r in enumerate(results) if r is None or r.status != 'passed']
    seconds = time.monotonic() - start
    note = '%d side by side' % len(groups)
    if failed:
        note += '; run %s failed' % ','.join(failed)
        if any(r is not None and r.note == 'timeout' for r in results):
            note += ' (timeout)'
    return Result('failed' if failed else 'passed', seconds, note)


def weight(lines: list[Line]) -> int:
    """A rough cost of running these lines (ansible-test sanity is the big step of each)."""
    return sum(len(line.steps) + 2 for line in lines)


def plan_workers(lines: list[Line], jobs: int) -> list[list[Line]]:
    """Split the lines into at most `jobs` workers; lines on the same controller Python stay in one worker."""
    groups: dict[str, list[Line]] = {}
    for line in lines:
        groups.setdefault(line.python_version or 'none', []).append(line)
    workers: list[list[Line]] = [[] for dummy in range(max(1, min(jobs, len(groups))))]
    for group in sorted(groups.values(), key=weight, reverse=True):
        min(workers, key=weight).extend(group)
    for worker in workers:
        worker.sort(key=lines.index)
    return [w for w in workers if w]


# --- the table -----------------------------------------------------------------------------

def table(rows: list[tuple[str, str, dict[str, Result]]], columns: list[str]) -> list[str]:
    header = ['line', 'python'] + columns
    body = [[name, python] + [results[c].cell() if c in results else '-' for c in columns] for name, python, results in rows]
    return grid(header, body)


def grid(header: list[str], body: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        return '  '.join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()

    return [fmt(header), fmt(['-' * w for w in widths])] + [fmt(r) for r in body]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--lines', default='', help="space-separated lines to run (default: all in hack/matrix/plan.txt)")
    parser.add_argument('--tools', default='', help="make targets run with the dev virtualenv (e.g. 'lint docs-lint smoke awx')")
    parser.add_argument('--make', default=os.environ.get('MAKE', 'make'))
    parser.add_argument('--jobs', type=int, default=2, help='workers running lines side by side (default 2; 1 runs everything in order)')
    parser.add_argument('--verbosity', default='-v', help='ansible-test verbosity option (default -v)')
    parser.add_argument('--step-timeout', type=int, default=1800, help='seconds one step may take (default 1800)')
    parser.add_argument('--integration-jobs', type=int, default=3,
                        help="ansible-test integration runs side by side per line, the targets shared out among them (default 3)")
    parser.add_argument('--find-python', metavar='X.Y[,X.Y...]',
                        help='print the path of the first of these Pythons found (as for the lines) and exit; the Makefile uses it')
    args = parser.parse_args()

    if args.find_python:
        for version in args.find_python.split(','):
            python = find_python(version)
            if python:
                print(python)
                return 0
        print('matrix: no Python %s: %s' % (' or '.join(args.find_python.split(',')), where_we_looked(args.find_python.split(','))), file=sys.stderr)
        return 1

    started = time.monotonic()
    lines = read_plan(args.lines.split() or None)
    tools = args.tools.split()

    needed = sorted({v for line in lines for v in line.pythons}
                    | ({EXTRA_UNITS_PYTHON} if any('units-py3.9' in line.steps for line in lines) else set()))
    pythons = {}
    for version in needed:
        python = find_python(version)
        if python:
            pythons[version] = python
    say('matrix: interpreters: %s' % ', '.join('%s=%s' % (v, pythons.get(v, 'MISSING')) for v in needed))
    for line in lines:
        line.python_version = next((v for v in line.pythons if v in pythons), None)

    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True)
    base_env = dict(os.environ)
    base_env['PATH'] = os.pathsep.join([str(pybin_dir(pythons)), os.environ.get('PATH', '')])
    make_env = dict(os.environ)

    tool_results: dict[str, Result] = {}
    line_results: dict[str, dict[str, Result]] = {}

    # The smoke steps install the tarball that `make build` makes (with the dev virtualenv), from a
    # copy: the tool steps `make smoke` and `make awx` rebuild build/dist/ while the lines run.
    if any('smoke' in line.steps for line in lines) or tools:
        tool_results['build'] = timed('build', [args.make, '--no-print-directory', 'build'], cwd=REPO, env=make_env,
                                      timeout=args.step_timeout, log=log_path('tools', 'build'))
        shutil.rmtree(DIST, ignore_errors=True)
        if tool_results['build'].status == 'passed':
            shutil.copytree(BUILD / 'dist', DIST)

    def run_tools() -> None:
        for target in tools:
            tool_results[target] = timed('make ' + target, [args.make, '--no-print-directory', target], cwd=REPO, env=make_env,
                                         timeout=args.step_timeout, log=log_path('tools', target))

    workers = plan_workers(lines, args.jobs)
    tools_worker = min(range(len(workers)), key=lambda i: weight(workers[i])) if workers else -1
    say('matrix: %d worker(s): %s' % (len(workers), '; '.join(' '.join(line.name for line in w) for w in workers)))

    background: list[threading.Thread] = []

    def work(index: int) -> None:
        for line in workers[index]:
            line_results[line.name] = run_line(line, pythons, base_env, args, background)
        if index == tools_worker:
            run_tools()

    threads = [threading.Thread(target=work, args=(i,), name='matrix-%d' % i) for i in range(len(workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for thread in background:  # every append happened in a worker, before its join above
        thread.join()
    if not workers:
        run_tools()

    rows = [(line.name, line.python_version or '/'.join(line.pythons), line_results[line.name]) for line in lines]
    columns = ['setup'] + [s for s in LINE_STEPS if any(s in r for dummy, dummy2, r in rows)]
    out = ['', 'ansible-core matrix: %s, %d worker(s) (seconds per step; "-": not in hack/matrix/plan.txt; logs in %s)' % (
        ' '.join(line.name for line in lines), len(workers), LOGS.relative_to(REPO))]
    out += table(rows, columns)
    timed_lines = [line for line in lines if line.target_seconds]
    if timed_lines:
        names = sorted({t for line in timed_lines for t in line.target_seconds})
        out += ['', 'integration targets (seconds each, as ansible-test timed them; hack/matrix/integration-seconds.txt shares them out):']
        out += grid(['target'] + [line.name for line in timed_lines],
                    [[t] + [str(line.target_seconds.get(t, '-')) for line in timed_lines] for t in names])
    if tool_results:
        out += ['', 'tools (dev virtualenv .venv/, requirements-dev.txt):']
        out += table([('tools', '%d.%d' % sys.version_info[:2], tool_results)], list(tool_results))
    cells = [r for dummy, dummy2, results in rows for r in results.values()] + list(tool_results.values())
    passed = sum(r.status == 'passed' for r in cells)
    failed = sum(r.status == 'failed' for r in cells)
    other = len(cells) - passed - failed
    out += ['', 'wall time %ds' % round(time.monotonic() - started)]
    out += ['%d passed, %d failed' % (passed, failed) + (', %d skipped' % other if other else '')]
    text = '\n'.join(out)
    say(text)
    (WORK / 'summary.txt').write_text(text + '\n')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
