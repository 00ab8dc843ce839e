-- Sample database shipped with Smart Agent: well-known film directors and some of their
-- films. Facts only: `born` is the year of birth, `country` the country of birth, `year`
-- the year of the film's first release. The SQL is plain enough for SQLite and MariaDB.

CREATE TABLE directors (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    born INTEGER NOT NULL,
    country VARCHAR(60) NOT NULL
);

CREATE TABLE films (
    id INTEGER PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    year INTEGER NOT NULL,
    director_id INTEGER NOT NULL,
    FOREIGN KEY (director_id) REFERENCES directors (id)
);

INSERT INTO directors (id, name, born, country) VALUES
    (1, 'Martin Scorsese', 1942, 'United States'),
    (2, 'Christopher Nolan', 1970, 'United Kingdom'),
    (3, 'Akira Kurosawa', 1910, 'Japan'),
    (4, 'Hayao Miyazaki', 1941, 'Japan'),
    (5, 'Steven Spielberg', 1946, 'United States'),
    (6, 'Stanley Kubrick', 1928, 'United States'),
    (7, 'Federico Fellini', 1920, 'Italy'),
    (8, 'Bong Joon-ho', 1969, 'South Korea'),
    (9, 'François Truffaut', 1932, 'France'),
    (10, 'Pedro Almodóvar', 1949, 'Spain'),
    (11, 'Greta Gerwig', 1983, 'United States');

INSERT INTO films (id, title, year, director_id) VALUES
    (1, 'Taxi Driver', 1976, 1),
    (2, 'Raging Bull', 1980, 1),
    (3, 'Goodfellas', 1990, 1),
    (4, 'The Departed', 2006, 1),
    (5, 'The Wolf of Wall Street', 2013, 1),
    (6, 'The Irishman', 2019, 1),
    (7, 'Killers of the Flower Moon', 2023, 1),
    (8, 'Memento', 2000, 2),
    (9, 'The Dark Knight', 2008, 2),
    (10, 'Inception', 2010, 2),
    (11, 'Interstellar', 2014, 2),
    (12, 'Oppenheimer', 2023, 2),
    (13, 'Rashomon', 1950, 3),
    (14, 'Ikiru', 1952, 3),
    (15, 'Seven Samurai', 1954, 3),
    (16, 'Ran', 1985, 3),
    (17, 'My Neighbor Totoro', 1988, 4),
    (18, 'Princess Mononoke', 1997, 4),
    (19, 'Spirited Away', 2001, 4),
    (20, 'The Boy and the Heron', 2023, 4),
    (21, 'Jaws', 1975, 5),
    (22, 'E.T. the Extra-Terrestrial', 1982, 5),
    (23, 'Jurassic Park', 1993, 5),
    (24, 'Schindler''s List', 1993, 5),
    (25, 'Saving Private Ryan', 1998, 5),
    (26, 'Dr. Strangelove', 1964, 6),
    (27, '2001: A Space Odyssey', 1968, 6),
    (28, 'A Clockwork Orange', 1971, 6),
    (29, 'The Shining', 1980, 6),
    (30, 'La Strada', 1954, 7),
    (31, 'La Dolce Vita', 1960, 7),
    (32, '8½', 1963, 7),
    (33, 'Amarcord', 1973, 7),
    (34, 'Memories of Murder', 2003, 8),
    (35, 'The Host', 2006, 8),
    (36, 'Parasite', 2019, 8),
    (37, 'The 400 Blows', 1959, 9),
    (38, 'Jules and Jim', 1962, 9),
    (39, 'Day for Night', 1973, 9),
    (40, 'All About My Mother', 1999, 10),
    (41, 'Talk to Her', 2002, 10),
    (42, 'Volver', 2006, 10),
    (43, 'Lady Bird', 2017, 11),
    (44, 'Little Women', 2019, 11),
    (45, 'Barbie', 2023, 11);
