"""The Gradio app (fan chat + creator studio) and the server that also carries the HTTP API.

    avatar.server.handlers   plain functions over avatar.Avatar (tested without a browser)
    avatar.server.app        Gradio wiring: build_app (fan chat), build_studio (creator studio)
    avatar.server.server     create_server: API + both apps on one FastAPI app (``avatar serve``)
"""
