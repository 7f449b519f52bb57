"""The baseline for bench/submit.py: the least a Flask + SQLAlchemy app can do for a form post,
one INSERT and a redirect, on the same database and under the same gunicorn settings.

Run by the benchmark as `gunicorn bench.bare_app:app` with BENCH_DATABASE_URL set; its table is
created by the benchmark before the server starts."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, redirect, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class BareItem(Base):
    __tablename__ = "bench_bare_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    narrative: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def create_app(url: str | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url or os.environ["BENCH_DATABASE_URL"]
    db.init_app(app)

    @app.get("/")
    def ready():
        return "ok"

    @app.post("/items")
    def add_item():
        item = BareItem(
            title=request.form.get("title", "")[:200],
            narrative=request.form.get("narrative", ""),
            created_at=datetime.now(UTC),
        )
        db.session.add(item)
        db.session.commit()
        return redirect(f"/items/{item.id}")

    return app


app = create_app() if os.environ.get("BENCH_DATABASE_URL") else None
