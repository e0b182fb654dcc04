"""Category trees as pure rules. A category's `path` is "/<id>/<id>/", so a subtree is a prefix
and the depth is the number of ids in it."""

CATEGORY_KINDS = ("business", "article", "document")
MAX_DEPTH = 6


def child_path(parent_path: str | None, category_id: str) -> str:
    return f"{parent_path or '/'}{category_id}/"


def too_deep(parent_path: str) -> bool:
    """A child under this parent would nest deeper than MAX_DEPTH levels."""
    return parent_path.count("/") - 1 >= MAX_DEPTH
