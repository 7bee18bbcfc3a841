"""Range metadata for config dataclass fields, shared by every module that owns a section."""

from dataclasses import Field, field


def bounded(
    minimum: float | None = None, maximum: float | None = None, *, above: bool = False
) -> Field:
    """A dataclass field allowed ``minimum ≤ value ≤ maximum`` (``minimum < value`` if ``above``).

    Only ``visualizer.config`` reads this metadata, when it validates a loaded file.
    """
    return field(metadata={"minimum": minimum, "maximum": maximum, "above": above})
