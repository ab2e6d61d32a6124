CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    age INTEGER NOT NULL,
    version INTEGER
);
CREATE TABLE event (
    id INTEGER PRIMARY KEY,
    at_timestamp TIMESTAMP,
    at_text TEXT,
    at_datetime DATETIME,
    at_integer INTEGER,
    offset_timestamp TIMESTAMP,
    offset_text TEXT,
    zoned_timestamp TIMESTAMP,
    local_timestamp TIMESTAMP,
    local_text TEXT,
    day DATE,
    day_text TEXT,
    time TIME,
    color TEXT,
    flag BOOLEAN,
    active INTEGER,
    uuid UUID,
    uuid_text TEXT,
    amount DECIMAL TEXT,
    amount_text TEXT
);
