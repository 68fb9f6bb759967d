"""The scripts behind ``nox -s build`` (staged_build.py) and ``nox -s new`` (new_post.py)."""
