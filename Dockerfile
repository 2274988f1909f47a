FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FILMBOT_DATABASE=/data/filmbot.db \
    FILMBOT_DATA=/app/data

RUN useradd --create-home --uid 10001 filmbot \
    && mkdir /data \
    && chown filmbot:filmbot /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY data ./data
RUN pip install .

USER filmbot
VOLUME /data
CMD ["filmbot", "run"]
