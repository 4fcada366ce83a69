"""The sandbox's memory: one SQLite database (WAL), so that a restart keeps everything.

The tables hold what Chorus Pro holds: structures and their services, users and technical
accounts, PISTE applications, the structures connected to them (raccordements) and their
tokens, deposited flows, invoices with their status history, attachments and engagements
juridiques.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import QueuePool

from chorusflow.errors import InputError

#: Version of the tables below; a database of another version is refused, not misread.
SCHEMA_VERSION = 1

#: First internal ids, of the size the qualification data set's have (API.md §12.2).
FIRST_IDS = {"structure": 26_000_000, "service": 1_000, "utilisateur": 300, "facture": 4_879_000}


class Montant(TypeDecorator[Decimal]):
    """A decimal kept exactly as text (SQLite has no decimal type)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware date-time stored as ISO text in UTC."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else value.astimezone(dt.UTC).isoformat()

    def process_result_value(self, value: str | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else dt.datetime.fromisoformat(value)


class Base(DeclarativeBase):
    pass


class Structure(Base):
    """A structure: a private supplier or a public buyer, known by its SIRET."""

    __tablename__ = "structure"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    identifiant: Mapped[str] = mapped_column(String(20), unique=True)
    type_identifiant: Mapped[str] = mapped_column(String(20), default="SIRET")
    designation: Mapped[str] = mapped_column(String(200))
    publique: Mapped[bool] = mapped_column(Boolean)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    service_obligatoire: Mapped[bool] = mapped_column(Boolean, default=False)
    engagement_obligatoire: Mapped[bool] = mapped_column(Boolean, default=False)
    service_ou_engagement: Mapped[bool] = mapped_column(Boolean, default=False)
    mise_en_paiement_non_remontee: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[str | None] = mapped_column(String(200))
    numero_tva: Mapped[str | None] = mapped_column(String(20))
    adresse: Mapped[str | None] = mapped_column(String(200))
    code_postal: Mapped[str | None] = mapped_column(String(10))
    ville: Mapped[str | None] = mapped_column(String(100))
    pays: Mapped[str] = mapped_column(String(2), default="FR")


class Service(Base):
    """A service of a structure (code service exécutant)."""

    __tablename__ = "service"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    structure_id: Mapped[int] = mapped_column(ForeignKey("structure.id"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    libelle: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    engagement_obligatoire: Mapped[bool] = mapped_column(Boolean, default=False)
    debut: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    fin: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class Utilisateur(Base):
    """A portal user or a technical account, attached to one structure."""

    __tablename__ = "utilisateur"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    login: Mapped[str] = mapped_column(String(200), unique=True)
    password: Mapped[str] = mapped_column(String(200))
    structure_id: Mapped[int] = mapped_column(ForeignKey("structure.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    technique: Mapped[bool] = mapped_column(Boolean, default=False)
    gestionnaire: Mapped[bool] = mapped_column(Boolean, default=False)
    expiration_mot_de_passe: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    nom: Mapped[str] = mapped_column(String(100))
    prenom: Mapped[str] = mapped_column(String(100))
    telephone: Mapped[str | None] = mapped_column(String(30))


class Application(Base):
    """A PISTE application: client id and secret, and the APIs attached to it."""

    __tablename__ = "application"
    client_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    client_secret: Mapped[str] = mapped_column(String(200))
    nom: Mapped[str] = mapped_column(String(200))
    apis: Mapped[str] = mapped_column(Text)
    """Space-separated API names (factures transverses ...)."""


class Raccordement(Base):
    """A PISTE application a structure declared in Chorus Pro ("Raccordement EDI et API >
    Déclarer un raccordement PISTE"): its technical account may call only through it."""

    __tablename__ = "raccordement"
    structure_id: Mapped[int] = mapped_column(ForeignKey("structure.id"), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("application.client_id"), primary_key=True)


class Jeton(Base):
    """An OAuth2 access token PISTE handed out."""

    __tablename__ = "jeton"
    valeur: Mapped[str] = mapped_column(String(100), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("application.client_id"))
    expire_a: Mapped[float] = mapped_column(Float)
    revoque: Mapped[bool] = mapped_column(Boolean, default=False)


class Flux(Base):
    """A deposited flow and, once processed, its report."""

    __tablename__ = "flux"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    numero: Mapped[str] = mapped_column(String(40), unique=True)
    syntaxe: Mapped[str] = mapped_column(String(40))
    code_interface: Mapped[str] = mapped_column(String(20))
    nom_fichier: Mapped[str] = mapped_column(String(200))
    utilisateur_id: Mapped[int] = mapped_column(ForeignKey("utilisateur.id"))
    structure_id: Mapped[int] = mapped_column(ForeignKey("structure.id"), index=True)
    date_depot: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    etat: Mapped[str] = mapped_column(String(60))
    date_etat: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    traiter_a: Mapped[float | None] = mapped_column(Float, index=True)
    fichier: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    erreurs_dp: Mapped[str] = mapped_column(Text, default="[]")
    erreurs_techniques: Mapped[str] = mapped_column(Text, default="[]")


class Facture(Base):
    """An invoice Chorus Pro holds, with its current status."""

    __tablename__ = "facture"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    numero: Mapped[str] = mapped_column(String(60))
    fournisseur_id: Mapped[int] = mapped_column(ForeignKey("structure.id"))
    service_fournisseur_id: Mapped[int | None] = mapped_column(Integer)
    destinataire_id: Mapped[int] = mapped_column(ForeignKey("structure.id"), index=True)
    service_id: Mapped[int | None] = mapped_column(Integer)
    utilisateur_id: Mapped[int | None] = mapped_column(Integer)
    statut: Mapped[str] = mapped_column(String(60))
    date_statut: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    suite_a: Mapped[float | None] = mapped_column(Float, index=True)
    """When the simulated buyer or platform moves it next (epoch seconds), if it will."""
    passages: Mapped[int] = mapped_column(Integer, default=0)
    """How many times it reached the buyer (recycled or completed invoices come back)."""
    mode_depot: Mapped[str] = mapped_column(String(40))
    numero_flux: Mapped[str | None] = mapped_column(String(40), index=True)
    syntaxe: Mapped[str | None] = mapped_column(String(40))
    type_facture: Mapped[str] = mapped_column(String(20), default="FACTURE")
    cadre: Mapped[str] = mapped_column(String(80), default="A1_FACTURE_FOURNISSEUR")
    devise: Mapped[str] = mapped_column(String(3), default="EUR")
    date_facture: Mapped[dt.date | None] = mapped_column()
    date_depot: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    montant_ht: Mapped[Decimal | None] = mapped_column(Montant)
    montant_tva: Mapped[Decimal | None] = mapped_column(Montant)
    montant_ttc: Mapped[Decimal | None] = mapped_column(Montant)
    montant_a_payer: Mapped[Decimal | None] = mapped_column(Montant)
    numero_marche: Mapped[str | None] = mapped_column(String(100))
    numero_bon_commande: Mapped[str | None] = mapped_column(String(100))
    numero_facture_origine: Mapped[str | None] = mapped_column(String(60))
    type_tva: Mapped[str | None] = mapped_column(String(30))
    mode_paiement: Mapped[str | None] = mapped_column(String(20))
    commentaire: Mapped[str | None] = mapped_column(Text)
    rejet_traite: Mapped[bool] = mapped_column(Boolean, default=False)
    telechargee: Mapped[bool] = mapped_column(Boolean, default=False)
    numero_dp_mandat: Mapped[str | None] = mapped_column(String(60))
    piece_jointe_principale_id: Mapped[int | None] = mapped_column(Integer)
    fichier: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    taille: Mapped[int | None] = mapped_column(Integer)
    """Size of the invoice file in bytes (``taille`` in searches)."""
    nom_fichier: Mapped[str | None] = mapped_column(String(200))
    lignes: Mapped[str | None] = mapped_column(Text)
    """JSON of the lignePoste and ligneTva of a SAISIE_API invoice."""

    __table_args__ = (
        Index("ix_facture_fournisseur_numero", "fournisseur_id", "numero"),
        {"sqlite_autoincrement": True},
    )


class HistoStatut(Base):
    """One status an invoice went through."""

    __tablename__ = "histo_statut"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    facture_id: Mapped[int] = mapped_column(ForeignKey("facture.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    date: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    commentaire: Mapped[str | None] = mapped_column(Text)
    utilisateur_id: Mapped[int | None] = mapped_column(Integer)


class HistoAction(Base):
    """A user action on an invoice (download, rejection acknowledged...)."""

    __tablename__ = "histo_action"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    facture_id: Mapped[int] = mapped_column(ForeignKey("facture.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    date: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    utilisateur_id: Mapped[int | None] = mapped_column(Integer)


class PieceJointe(Base):
    """A file uploaded by a user; linked to an invoice once used by it."""

    __tablename__ = "piece_jointe"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    utilisateur_id: Mapped[int] = mapped_column(Integer, index=True)
    structure_id: Mapped[int] = mapped_column(Integer, index=True)
    nom: Mapped[str] = mapped_column(String(200))
    type_mime: Mapped[str | None] = mapped_column(String(255))
    extension: Mapped[str] = mapped_column(String(20))
    contenu: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    facture_id: Mapped[int | None] = mapped_column(Integer, index=True)
    type_code: Mapped[str | None] = mapped_column(String(30))
    designation: Mapped[str | None] = mapped_column(String(200))
    numero_ligne: Mapped[int | None] = mapped_column(Integer)
    principale: Mapped[bool] = mapped_column(Boolean, default=False)


class Engagement(Base):
    """An engagement juridique (purchase order) of a public buyer."""

    __tablename__ = "engagement"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    numero: Mapped[str] = mapped_column(String(50), index=True)
    destinataire_id: Mapped[int] = mapped_column(ForeignKey("structure.id"))
    fournisseur_id: Mapped[int | None] = mapped_column(ForeignKey("structure.id"))
    code_service: Mapped[str | None] = mapped_column(String(100))
    numero_marche: Mapped[str | None] = mapped_column(String(100))
    montant_ttc: Mapped[Decimal] = mapped_column(Montant)
    devise: Mapped[str] = mapped_column(String(3), default="EUR")
    date_notification: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    etat: Mapped[str] = mapped_column(String(30), default="COMMANDE")
    type_libelle: Mapped[str] = mapped_column(String(40), default="BON_DE_COMMANDE")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Store:
    """The database of one sandbox: engine, schema and sessions."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.engine: Engine = create_engine(
            f"sqlite:///{path}",
            poolclass=QueuePool,
            pool_size=8,
            max_overflow=8,
            connect_args={"check_same_thread": False, "timeout": 10},
        )
        event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            self._prepare(path)
        except DatabaseError as exc:
            self.engine.dispose()
            raise InputError(
                f"{path} is not a sandbox database ({exc.orig}).",
                "Give another file with --db.",
            ) from None
        except InputError:
            self.engine.dispose()
            raise
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        #: Read-mostly data derived from the tables (the directory), dropped by forget().
        self.cache: dict[str, object] = {}
        self._writer = threading.Lock()

    def _prepare(self, path: Path) -> None:
        """Check the schema version, create the tables, seed the id sequences."""
        with self.engine.begin() as connection:
            version = connection.exec_driver_sql("PRAGMA user_version").scalar()
            tables = connection.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).scalar()
            if tables and version != SCHEMA_VERSION:
                raise InputError(
                    f"The database {path} was made by another version of the sandbox.",
                    "Delete it or give another file with --db.",
                )
            connection.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
        Base.metadata.create_all(self.engine)
        with self.engine.begin() as connection:
            for table, first in FIRST_IDS.items():
                connection.exec_driver_sql(
                    "INSERT INTO sqlite_sequence(name, seq) SELECT ?, ? WHERE NOT EXISTS "
                    "(SELECT 1 FROM sqlite_sequence WHERE name = ?)",
                    (table, first, table),
                )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on an exception."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold while a check and the write it guards must not interleave with another
        (the duplicate-number check and the invoice it lets in)."""
        with self._writer:
            yield

    def forget(self) -> None:
        """Drop derived data after the tables it came from changed (a new data set)."""
        self.cache.clear()

    def close(self) -> None:
        self.engine.dispose()
