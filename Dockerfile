# The callstream worker image used by docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY callstream ./callstream
COPY streams ./streams
COPY schemas ./schemas
COPY sinks ./sinks
RUN pip install --no-cache-dir -c constraints.txt .
# Run as an unprivileged user that owns only its data directory (the volume inherits the ownership).
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin callstream \
    && mkdir -p /var/lib/callstream && chown callstream:callstream /var/lib/callstream
USER callstream:callstream
ENV CALLSTREAM_DATA_DIR=/var/lib/callstream \
    CALLSTREAM_OUTBOX_PATH=/var/lib/callstream/outbox.sqlite3 \
    CALLSTREAM_WEB_HOST=0.0.0.0
EXPOSE 6066
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=12 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:6066/readyz', timeout=3)"]
CMD ["callstream", "worker"]
