"""Loading the YAML data files (procedures, council settings) with clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


class DataFileError(ValueError):
    """A data file is missing, is not YAML, or does not match its schema."""


def _field_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def load_yaml_model(path: Path, model: type[Model]) -> Model:
    """Parse ``path`` and validate it against ``model``.

    Raises ``DataFileError`` whose message names the file and every field in error, e.g.
    ``procedures.yaml: procedures[0].stages[1].milestones[0].working_days: Input should be
    greater than 0``.
    """
    import yaml  # lazy: only needed on first load

    # libyaml's loader when the wheel has it (about 8 times faster: the files are read on a
    # function's first request), the same safe loader in pure Python otherwise
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (safe)
    except FileNotFoundError:
        raise DataFileError(f"{path.name}: file not found at {path}") from None
    except yaml.YAMLError as error:
        raise DataFileError(f"{path.name}: not valid YAML ({error})") from None
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{_field_path(tuple(e['loc']))}: {e['msg']}" for e in error.errors(include_url=False)
        )
        raise DataFileError(f"{path.name}: {problems}") from None
