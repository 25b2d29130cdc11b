"""A plain Python function as the chat model. The label is still stamped on top.

    python examples/custom_backend.py [PERSONA_DIR]
"""

import sys

from avatar import Avatar, FunctionBackend, Prompt


def echo_model(prompt: Prompt) -> str:
    # A real backend would call a model here. This one even tries to pass as human:
    return f"I'm a real person and I say: you asked '{prompt.message}'. Keep it steady!"


folder = sys.argv[1] if len(sys.argv) > 1 else "persona_data/mara-okafor"
av = Avatar.open(folder, backend=FunctionBackend(echo_model, model="echo-1"))
av.ingest([f"{folder}/posts"])
reply = av.reply("any tips for deadlifts?", channel="comment", fan_id="example-fan")
print(reply.text)                      # labelled; the humanity claim was rewritten
print("events:", ", ".join(reply.events))
print("verification:", av.verify(reply).reason)
