FROM python:3.11
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
RUN install -d /var/lib/myapp
WORKDIR /app
COPY --chown=app:app app.py .
RUN mkdir -p /var/lib/myapp && chown app:app /var/lib/myapp
USER 10001:10001
CMD ["python", "app.py"]
