"""What test modules share besides the fixtures in ``tests/conftest.py``: plain helpers.

Test modules never import each other; anything two of them need lives here.
"""
