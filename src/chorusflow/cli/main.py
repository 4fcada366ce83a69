"""The `chorusflow` command: one module per command, registered here.

Exit codes (the contract scripts rely on): 0 ok; 1 the thing checked is wrong (an invalid
invoice, a rejected flow, a failed doctor check); 2 bad usage or unreadable input; 3 an
internal error (a bug: please report it); 130 interrupted.
"""

from __future__ import annotations

import sys
from importlib import import_module

import typer

from chorusflow import __version__
from chorusflow.cli.output import err, fail
from chorusflow.errors import ChorusflowError

EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

#: Command modules, each with ``register(app)``.
COMMANDS = (
    "chorusflow.cli.schema_cmd",
    "chorusflow.cli.inspect_cmd",
    "chorusflow.cli.convert_cmd",
    "chorusflow.cli.validate_cmd",
    "chorusflow.cli.sandbox_cmd",
    "chorusflow.cli.init_cmd",
    "chorusflow.cli.doctor_cmd",
    "chorusflow.cli.send_cmd",
    "chorusflow.cli.status_cmd",
    "chorusflow.cli.worker_cmd",
    "chorusflow.cli.demo_cmd",
    "chorusflow.cli.act_cmd",
)

app = typer.Typer(
    name="chorusflow",
    help="Invoices to French public buyers through Chorus Pro: convert, check, send, follow.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chorusflow {__version__}")
        raise typer.Exit


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Invoices to French public buyers through Chorus Pro: convert, check, send, follow."""


for _module in COMMANDS:
    import_module(_module).register(app)


def run(argv: list[str] | None = None) -> int:
    """Entry point: run the command, turn every failure into one line and an exit code."""
    try:
        result = app(args=argv, prog_name="chorusflow", standalone_mode=False)
    except ChorusflowError as error:
        fail(error)
    except typer.Exit as done:
        return _exit(done.exit_code)
    except typer.Abort:
        err.print("interrupted")
        return _exit(EXIT_INTERRUPTED)
    except typer.TyperException as error:  # usage errors: bad command, option or value
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            err.print(f"error: {error}", markup=False)
        return _exit(int(getattr(error, "exit_code", 2)))
    except KeyboardInterrupt:
        err.print("interrupted")
        return _exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        return _exit(0)
    except Exception as error:  # the contract: never a traceback
        err.print(
            f"internal error: {type(error).__name__}: {error} "
            "(this is a bug in chorusflow; please report it with the command you ran)",
            markup=False,
        )
        return _exit(EXIT_INTERNAL)
    return _exit(result if isinstance(result, int) else 0)


def _exit(code: int) -> int:
    sys.exit(code)
