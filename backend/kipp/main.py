"""The ASGI app for uvicorn: ``uvicorn kipp.main:app``."""

from kipp.app import create_app

app = create_app()
