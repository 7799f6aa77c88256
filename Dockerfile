# The callstream worker image used by docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY callstream ./callstream
COPY streams ./streams
COPY schemas ./schemas
COPY sinks ./sinks
RUN pip install --no-cache-dir -c constraints.txt .
ENV CALLSTREAM_DATA_DIR=/var/lib/callstream \
    CALLSTREAM_OUTBOX_PATH=/var/lib/callstream/outbox.sqlite3 \
    CALLSTREAM_WEB_HOST=0.0.0.0
EXPOSE 6066
CMD ["callstream", "worker"]
