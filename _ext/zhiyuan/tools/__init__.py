"""The scripts behind ``nox -s build`` (staged_build.py) and ``nox -s new`` (new_post.py), and the
noxfile's check of ``node_modules/`` against ``package-lock.json`` (npm_assets.py)."""
