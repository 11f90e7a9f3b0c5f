"""DDL of the raw layer. The loader creates these tables; dbt reads them as sources."""

RAW_TABLES: dict[str, str] = {
    "landing_files": """
        source_file      VARCHAR NOT NULL,   -- path relative to the landing folder
        report_id        VARCHAR NOT NULL,
        file_path        VARCHAR NOT NULL,   -- absolute path when discovered
        file_size        BIGINT NOT NULL,
        content_sha256   VARCHAR NOT NULL,
        file_mtime       TIMESTAMP,
        discovered_at    TIMESTAMP NOT NULL
    """,
    "reports": """
        report_id        VARCHAR NOT NULL,   -- stable: derived from source_file
        source_file      VARCHAR NOT NULL,   -- path relative to the landing folder
        content_sha256   VARCHAR NOT NULL,
        file_size        BIGINT,
        file_mtime       TIMESTAMP,
        doc_type         VARCHAR,            -- text / html
        encoding         VARCHAR,
        text_sha256      VARCHAR,            -- of the normalised text (duplicates across files)
        format           VARCHAR,
        parse_status     VARCHAR NOT NULL,   -- parsed / partial / failed
        parse_error      VARCHAR,
        parser_version   VARCHAR NOT NULL,
        agency           VARCHAR,
        admin_level      VARCHAR,
        parent_level     VARCHAR,
        region_province  VARCHAR,
        region_city      VARCHAR,
        region_county    VARCHAR,
        region           VARCHAR,
        report_year      INTEGER,
        year_source      VARCHAR,
        published_on     DATE,
        scope            VARCHAR,
        title            VARCHAR,
        n_metrics        INTEGER,
        n_unmapped       INTEGER,
        warnings         VARCHAR,
        is_withdrawn     BOOLEAN NOT NULL,   -- the file is no longer in the landing folder
        loaded_at        TIMESTAMP NOT NULL
    """,
    "metrics": """
        report_id        VARCHAR NOT NULL,
        metric_key       VARCHAR NOT NULL,
        value            DOUBLE,             -- NULL unless value_status = 'value'
        value_status     VARCHAR NOT NULL,   -- value / blank / placeholder / ambiguous
        unit             VARCHAR,
        source           VARCHAR NOT NULL,   -- table / prose
        approx           BOOLEAN NOT NULL,
        is_derived       BOOLEAN NOT NULL,
        raw_text         VARCHAR,
        label            VARCHAR,
        column_label     VARCHAR,
        table_id         VARCHAR,
        note             VARCHAR,
        ordinal          INTEGER NOT NULL    -- order of extraction within the report
    """,
    "unmapped_cells": """
        report_id        VARCHAR NOT NULL,
        table_id         VARCHAR,
        row_label        VARCHAR,
        column_label     VARCHAR,
        raw_text         VARCHAR,
        value            DOUBLE,
        unit             VARCHAR,
        row_index        INTEGER,
        col_index        INTEGER
    """,
    "parse_events": """
        run_id           VARCHAR,
        report_id        VARCHAR,
        source_file      VARCHAR,
        content_sha256   VARCHAR,
        parser_version   VARCHAR,
        action           VARCHAR NOT NULL,   -- parsed / skipped_unchanged / failed / withdrawn
        parse_status     VARCHAR,
        message          VARCHAR,
        duration_ms      DOUBLE,
        event_at         TIMESTAMP NOT NULL
    """,
    "triage_decisions": """
        finding_id       VARCHAR NOT NULL,
        decision         VARCHAR NOT NULL,   -- confirmed / dismissed / reopened
        reason           VARCHAR,
        decided_by       VARCHAR,
        decided_at       TIMESTAMP NOT NULL,
        expected         DOUBLE,             -- the finding's numbers when decided
        actual           DOUBLE
    """,
    "alert_log": """
        alert_id         VARCHAR NOT NULL,
        run_id           VARCHAR,
        kind             VARCHAR NOT NULL,   -- findings_digest / run_failure
        channel          VARCHAR,            -- the URL's scheme and host, no secrets
        status           VARCHAR NOT NULL,   -- sent / failed / no_channel
        title            VARCHAR,
        body             VARCHAR,
        finding_ids      VARCHAR[],
        error            VARCHAR,
        sent_at          TIMESTAMP NOT NULL
    """,
}


def ddl_statements(schema: str = "raw") -> list[str]:
    stmts = [f"CREATE SCHEMA IF NOT EXISTS {schema}"]
    for name, cols in RAW_TABLES.items():
        stmts.append(f"CREATE TABLE IF NOT EXISTS {schema}.{name} ({cols})")
    return stmts


def columns(table: str) -> list[tuple[str, str]]:
    """(name, DuckDB type) of each column of a raw table, in order."""
    out = []
    for line in RAW_TABLES[table].strip().splitlines():
        line = line.split("--")[0].strip().rstrip(",")
        if line:
            name, typ = line.split()[:2]
            out.append((name, typ))
    return out


def column_names(table: str) -> list[str]:
    return [name for name, _ in columns(table)]


def ensure_raw_schema(con) -> None:
    """Create the raw schema and every raw table that is missing (a DuckDB connection)."""
    for stmt in ddl_statements():
        con.execute(stmt)
