export PIP_CONSTRAINT=/app/constraints.txt
