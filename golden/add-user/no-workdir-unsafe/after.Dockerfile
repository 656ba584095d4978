FROM python:3.11
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app
COPY app.py /opt/worker/app.py
USER 10001:10001
CMD ["python", "/opt/worker/app.py"]
