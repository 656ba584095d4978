FROM python:3.12
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /work && chown app:app /work
RUN pip install ansible==10.1.0
WORKDIR /work
USER 10001:10001
