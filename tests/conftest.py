"""Shared fixtures: the built-in config and small variants of it for fast tests."""

from __future__ import annotations

import pytest

from visualizer.config import Config, load_config


@pytest.fixture(scope="session")
def default_config() -> Config:
    return load_config()


@pytest.fixture(scope="session")
def small_config(default_config: Config) -> Config:
    """Two epochs of the real network and dataset: quick, but every code path."""
    return default_config.replace(training={"epochs": 2})
