FROM python:3.12
RUN pip install ansible==10.1.0
WORKDIR /work
