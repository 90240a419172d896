"""Reading a Swift task README: what to build, and the examples that must hold.

NeuroNaut's own format (see ``examples/swift/*/README.md``)::

    # Title
    - Package: `wordcount`
    - Executable: `wordcount`

    One paragraph saying what the program does.

    ## Examples

    ```console
    $ echo "hello world" | wordcount
    2
    $ wordcount --bad
    [exit 1]
    ```

is one of the forms ``neuronaut.worlds.swift.readme`` reads; it also reads
usage lines with ``# prints …`` comments, sentences ("`tool 4` prints `IV`",
"… exits with status 2"), tables of inputs and outputs, and input from
shown files. Each check keeps the README line it came from. stdout is
compared exactly; when the README ties an error message to an exit status,
stderr must contain it.
"""

from __future__ import annotations

from pathlib import Path


from neuronaut.errors import UserError
from neuronaut.worlds.swift.acceptance import AcceptanceCheck, SwiftSpec

MAX_PROBLEMS_SHOWN = 3


def load_spec(path: Path, cases: Path | None = None) -> SwiftSpec:
    """The spec a README file gives, with a cases file's additions and corrections; errors name the file."""
    try:
        spec = parse_spec(read_readme_text(path))
    except UserError as exc:
        raise UserError(f"{path}: {exc}") from None
    if cases is None:
        return spec
    from neuronaut.worlds.swift.readme.cases import to_check
    from neuronaut.worlds.swift.readme.overrides import load_cases, override_checks

    added, dropped = load_cases(cases, spec.executable)
    return spec.model_copy(update={"checks": override_checks(spec.checks, [to_check(c) for c in added], dropped)})


def read_readme_text(path: Path) -> str:
    """The README's text; a file that is not UTF-8 text is the user's error, said with where it breaks."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read the README: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"the README is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
                        "save it as UTF-8") from None


def parse_spec(readme_text: str) -> SwiftSpec:
    from neuronaut.worlds.swift.readme import read_readme
    from neuronaut.worlds.swift.readme.cases import to_check

    if not readme_text.strip():
        raise UserError("the README is empty: describe the program and show examples of running it")
    found = read_readme(readme_text)
    if not found.executable:
        raise UserError("the README names no runnable program: add a line '- Executable: `name`' "
                        "or show it run, e.g. a usage line `name ARGS   # prints …`")
    if found.problems:
        shown = "; ".join(str(problem) for problem in found.problems[:MAX_PROBLEMS_SHOWN])
        more = len(found.problems) - MAX_PROBLEMS_SHOWN
        raise UserError(shown + (f" (and {more} more)" if more > 0 else ""))
    if not found.cases:
        raise UserError("the README shows no examples: no '## Examples' section with '$ command' lines and their "
                        "output, no usage lines like `name ARGS   # prints …`, no table of inputs and outputs")
    return SwiftSpec(
        title=found.title or str(found.package),
        package=str(found.package),
        executable=found.executable,
        difficulty=found.difficulty,
        description=_description(readme_text),
        checks=[to_check(case) for case in found.cases],
    )


def _description(text: str) -> str:
    """The first paragraph of prose before any second-level section."""
    from neuronaut.worlds.swift.readme.markdown import read_markdown
    from neuronaut.worlds.swift.readme.names import is_field_line

    doc = read_markdown(text)
    first_section = doc.headings[1][0] if len(doc.headings) > 1 else None
    for paragraph in doc.paragraphs:
        if first_section is not None and paragraph.line > first_section:
            break
        if not is_field_line(paragraph.text) and not paragraph.text.startswith(("[!", "![", "<")):
            return " ".join(paragraph.text.split())
    return ""
