FROM python:3.11-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --no-create-home app
ENV APP_HOME=/home/app
RUN mkdir $APP_HOME
WORKDIR $APP_HOME
COPY --chown=app:app . .
RUN mkdir -p /home/app && chown app:app /home/app
USER 10001:10001
CMD ["python", "app.py"]
