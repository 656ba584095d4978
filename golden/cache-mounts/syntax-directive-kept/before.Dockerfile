# syntax=docker/dockerfile:1.7
FROM python:3.12
RUN pip install flask
