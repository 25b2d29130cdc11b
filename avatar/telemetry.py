"""Telemetry off, in one place: the libraries we run would otherwise phone home (Chroma's
product telemetry, Gradio's analytics, the Hugging Face hub client). Nothing here reads a
user setting: a variable the user set explicitly is kept."""

import os

OFF = {"ANONYMIZED_TELEMETRY": "False", "GRADIO_ANALYTICS_ENABLED": "False",
       "HF_HUB_DISABLE_TELEMETRY": "1"}


def disable() -> None:
    for name, value in OFF.items():
        os.environ.setdefault(name, value)
