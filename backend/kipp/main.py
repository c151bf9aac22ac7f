"""The ASGI app for uvicorn: ``uvicorn kipp.main:app`` (what `kipp serve` runs), with the
delivery worker in a thread unless KIPP_RUN_WORKER=false."""

from kipp.app import create_app

app = create_app(background_worker=True)
