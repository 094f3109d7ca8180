"""Validate .github/workflows/ offline, as far as it can be done here; `make test` runs it.

The workflows cannot run on this machine (no GitHub, no Quarto). What is checked: every file parses as YAML and has `on`
and `jobs`; every `run:` command names a program that exists in the repository, in the installed project (.venv/bin,
from the pins), or on a stock runner (make, git, python); every `make` target it calls exists in the Makefile; the test
workflow runs the README's test command (through .ci/run, which must call `make test`); the deploy workflow publishes the
folder nbdev renders into (settings.ini's doc_path) to the address settings.ini's doc_host and doc_baseurl give."""
import re, sys, shlex
from configparser import ConfigParser
from pathlib import Path
import yaml

root = Path(__file__).resolve().parent.parent
RUNNER = {'make', 'git', 'python', 'python3', 'bash', 'sh', 'echo'}

def make_targets() -> set:
    return set(re.findall(r'^([A-Za-z][\w-]*):', (root/'Makefile').read_text(), re.M))

def check_run(wf:str, cmd:str, targets:set) -> list[str]:
    errs = []
    for line in (l.strip() for l in cmd.splitlines() if l.strip() and not l.strip().startswith('#')):
        words = shlex.split(line)
        prog = words[0]
        if prog == 'make':
            errs += [f"{wf}: `make {t}` but the Makefile has no target {t}" for t in words[1:] if not t.startswith('-') and '=' not in t and t not in targets]
        elif prog.startswith('.venv/bin/'):
            if not (root/prog).exists(): errs.append(f"{wf}: {prog} is not installed by `make install` (from settings.ini and constraints.txt)")
        elif prog.startswith(('./', '.ci/', 'tools/')):
            if not (root/prog).exists(): errs.append(f"{wf}: {prog} does not exist in the repository")
        elif prog not in RUNNER: errs.append(f"{wf}: `{prog}` is neither in the repository, nor installed by the project, nor on a stock runner")
    return errs

def check() -> list[str]:
    errs, targets, wfs = [], make_targets(), sorted((root/'.github'/'workflows').glob('*.y*ml'))
    cfg = ConfigParser(); cfg.read(root/'settings.ini'); d = cfg['DEFAULT']
    if not wfs: return ["no workflow in .github/workflows"]
    runs = {}
    for f in wfs:
        try: y = yaml.safe_load(f.read_text())
        except yaml.YAMLError as e: errs.append(f"{f.name}: not valid YAML: {e}"); continue
        on = y.get('on', y.get(True))  # YAML 1.1 reads a bare `on` key as True
        if not on or not y.get('jobs'): errs.append(f"{f.name}: needs `on` and `jobs`"); continue
        steps = [s for j in y['jobs'].values() for s in j.get('steps', [])]
        runs[f.name] = [s['run'] for s in steps if 'run' in s]
        for r in runs[f.name]: errs += check_run(f.name, r, targets)
        for s in steps:
            if 'uses' in s and '@' not in s['uses']: errs.append(f"{f.name}: action {s['uses']} is not pinned to a version")
            w = s.get('with', {})
            if 'publish_dir' in w and Path(w['publish_dir']).name != Path(d['doc_path']).name:
                errs.append(f"{f.name}: publishes {w['publish_dir']}, but nbdev renders into {d['doc_path']} (settings.ini doc_path)")
    if not any('.ci/run' in r or 'make test' in r for r in runs.get('test.yaml', [])): errs.append("test.yaml does not run the README's test command")
    if 'make test' not in (root/'.ci'/'run').read_text(): errs.append(".ci/run does not call `make test`")
    if not any('nbdev_docs' in r for r in runs.get('deploy.yaml', [])): errs.append("deploy.yaml does not render the site with nbdev_docs")
    user, repo = d['git_url'].rstrip('/').split('/')[-2:]
    if d['doc_host'].rstrip('/') != f"https://{user}.github.io" or d['doc_baseurl'].rstrip('/') != f"/{repo}":
        errs.append(f"settings.ini: doc_host/doc_baseurl ({d['doc_host']}{d['doc_baseurl']}) is not where GitHub Pages serves {d['git_url']}")
    return errs

if __name__ == '__main__':
    errs = check()
    if errs: print('workflows: ' + '\n  '.join(errs)); sys.exit(1)
    print(f"workflows: {len(list((root/'.github'/'workflows').glob('*.y*ml')))} files parse and call only commands that exist; the site's address matches settings.ini")
