import os
os.environ.setdefault('PIP_CONSTRAINT', '/app/constraints.txt')
