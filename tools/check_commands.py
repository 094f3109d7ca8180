"""Check the command reference (nbs/11_commands.ipynb): run by `make test`.

Fails when a default stated in a console script's `--help` text differs from the flag's real default (the function's, or its
config field's), or when a flag is missing from the reference page: the Markdown that `commands_markdown` renders and, given
the rendered docs folder (`_docs`), its HTML page too. Exit 1 with the list of problems."""
import sys
from pathlib import Path
from cxr_nbdev.commands import check_commands, console_scripts

def pages(docs:Path) -> list[Path]:
    "The command reference in the rendered site `docs`: named by the notebook (smalldocs) or by nbdev's `output-file` (Quarto)."
    found = [p for p in (docs/'11_commands.html', docs/'commands.html') if p.exists()]
    if not found: sys.exit(f"check_commands: no 11_commands.html or commands.html in {docs}. Fix: run `make docs` first.")
    return found

if __name__ == '__main__':
    problems = check_commands()
    for docs in map(Path, sys.argv[1:]): problems += [f"{p.name}: {q}" for p in pages(docs) for q in check_commands(p.read_text())]
    if problems: sys.exit('check_commands:\n' + '\n'.join(f'- {p}' for p in problems) +
                          '\nFix: correct the docment of the flag (in its notebook), or add the flag to the page, then nbdev_export.')
    print(f"commands: {len(console_scripts())} console scripts, every flag on the page, no --help default that differs from the config's")
