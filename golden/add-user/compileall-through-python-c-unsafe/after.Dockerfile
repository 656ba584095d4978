FROM python:3.12-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY lib/ /opt/lib/
ENV PYTHONPATH=/opt/lib
COPY --chown=app:app requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=app:app app.py ./
USER 10001:10001
CMD ["sh", "-c", "python -c \"import compileall, sys; sys.exit(not compileall.compile_dir('/opt/lib', quiet=1))\" && exec python app.py"]
