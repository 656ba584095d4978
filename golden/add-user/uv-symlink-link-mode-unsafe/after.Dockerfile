FROM python:3.11
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
RUN pip install uv==0.4.30
ENV UV_LINK_MODE=symlink
WORKDIR /app
COPY --chown=app:app requirements.txt ./
RUN uv pip install --system --break-system-packages -r requirements.txt
COPY --chown=app:app . .
USER 10001:10001
CMD ["python3", "app.py"]
