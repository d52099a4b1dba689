# TAC Bot for production: `docker compose up -d` (compose.yaml) runs it beside PostgreSQL.
# Build stage: install TAC Bot and the versions CI tested (constraints.txt) into a virtual environment.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY scheduler ./scheduler
COPY storage ./storage
RUN python -m venv /opt/tacbot \
 && /opt/tacbot/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/tacbot/bin/pip install --no-cache-dir -c constraints.txt .

# Run stage: the environment only, a user with no rights, DejaVu Sans for the exported PDF plans.
FROM python:3.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --create-home --home-dir /app tacbot
COPY --from=build /opt/tacbot /opt/tacbot
ENV PATH="/opt/tacbot/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    TACBOT_ENV=production \
    TACBOT_LOG_FORMAT=json \
    HOST=0.0.0.0 \
    PORT=3000
USER tacbot
WORKDIR /app
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4)"]
CMD ["tacbot", "serve"]
