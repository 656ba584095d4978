FROM python:3.12-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app . .
RUN pip install --no-cache-dir -r requirements.txt
USER 10001:10001
CMD ["sh", "-c", "sed -i s/helper/patched/ /app/lib/helper.py && chmod -R g+w /app/lib && exec python app.py"]
