"""Request and response shapes of the rubric."""

from __future__ import annotations

from pydantic import BaseModel, Field, StrictInt

from kipp.schemas import Schema

CRITERION_KEY_PATTERN = r"^[a-z][a-z0-9_]{0,49}$"


class CriterionIn(BaseModel):
    key: str = Field(pattern=CRITERION_KEY_PATTERN, examples=["kebaruan"])
    name: str = Field(min_length=1, max_length=200, examples=["Kebaruan"])
    description: str = Field(default="", max_length=2000)
    low_means: str = Field(
        default="", max_length=1000, description="What a score at the bottom of the scale means."
    )
    high_means: str = Field(
        default="", max_length=1000, description="What a score at the top of the scale means."
    )
    weight: float = Field(gt=0, le=100, examples=[25])
    min_score: StrictInt = Field(default=1, ge=0, le=1000)
    max_score: StrictInt = Field(default=10, ge=1, le=1000)


class CriterionOut(Schema):
    key: str
    name: str
    description: str
    low_means: str
    high_means: str
    weight: float
    min_score: int
    max_score: int


class RubricOut(BaseModel):
    items: list[CriterionOut]
    total: int
    locked: bool = Field(description="true once any scoresheet exists: the rubric is frozen")
