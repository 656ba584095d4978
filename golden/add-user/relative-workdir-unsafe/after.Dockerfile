FROM python:3.11
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app
WORKDIR app
COPY app.py .
USER 10001:10001
CMD ["python", "app.py"]
