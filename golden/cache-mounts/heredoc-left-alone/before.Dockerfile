# syntax=docker/dockerfile:1
FROM python:3.12
RUN <<EOF
pip install flask
EOF
