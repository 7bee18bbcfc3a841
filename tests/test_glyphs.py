"""Every character of every catalogue is drawn by the bundled font: no missing-glyph boxes
on screen, whatever the language."""

from __future__ import annotations

import pygame.freetype
import pytest

from visualizer.render.text import FONT_FILES
from visualizer.resources import resource_path
from visualizer.words import LANGUAGES_FOLDER, available_languages


def catalogue_characters(code: str) -> set[str]:
    folder = LANGUAGES_FOLDER / code
    texts = (path.read_text(encoding="utf-8") for path in folder.glob("*.yaml"))
    lines = (line for text in texts for line in text.splitlines())
    # Comments are for translators, not the screen.
    return {c for line in lines if not line.lstrip().startswith("#") for c in line}


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("code", available_languages())
def test_the_font_draws_every_character_of_the_catalogue(code, bold):
    pygame.freetype.init()
    font = pygame.freetype.Font(str(resource_path("assets") / "fonts" / FONT_FILES[bold]), 20)
    characters = catalogue_characters(code) - {"\n"}
    missing = [c for c in sorted(characters) if font.get_metrics(c)[0] is None]
    assert missing == []
