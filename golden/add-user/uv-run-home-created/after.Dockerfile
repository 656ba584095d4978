FROM python:3.11
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /app && chown app:app /app
RUN pip install uv==0.13.6
WORKDIR /app
COPY --chown=app:app pyproject.toml uv.lock ./
RUN uv sync --frozen --no-install-project
COPY --chown=app:app . .
RUN uv sync --frozen
USER 10001:10001
CMD ["uv", "run", "--frozen", "glyphs"]
