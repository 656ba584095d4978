FROM python:3.11
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /srv /srv/media && chown app:app /srv /srv/media
WORKDIR /srv
COPY --chown=app:app requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=app:app . .
RUN mkdir -p /srv/media && python -c "open('/srv/media/placeholder.txt','w').write('p')"
USER 10001:10001
EXPOSE 8000
CMD ["python", "app.py"]
