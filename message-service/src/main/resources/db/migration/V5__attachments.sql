-- Uploaded files (attachments). The bytes live in the FileStore under storage_key (and thumbnail_key); this row says
-- whose they are and where. An upload belongs to one conversation and one uploader; a send attaches it to one
-- message (message_id, set once, in the send's transaction). deleted_at is set when the upload is cancelled, when its
-- message is deleted, or when it stayed unattached longer than parley.files.unattached-ttl: from then on it is not
-- served, and the sweeper deletes its bytes, then the row.
CREATE TABLE attachment (
    id              uuid        PRIMARY KEY,
    conversation_id uuid        NOT NULL,
    uploader        text        NOT NULL,
    name            text        NOT NULL,
    content_type    text        NOT NULL,
    size            bigint      NOT NULL CHECK (size > 0),
    sha256          text        NOT NULL,
    width           int,
    height          int,
    storage_key     text        NOT NULL,
    thumbnail_key   text,
    thumbnail_type  text,
    thumbnail_size  bigint,
    created_at      timestamptz NOT NULL,
    message_id      uuid,
    deleted_at      timestamptz,
    CHECK ((thumbnail_key IS NULL) = (thumbnail_type IS NULL) AND (thumbnail_key IS NULL) = (thumbnail_size IS NULL))
);

-- A deleted message marks its uploads deleted.
CREATE INDEX attachment_message ON attachment (message_id) WHERE message_id IS NOT NULL;
-- The sweeper: uploads never attached, oldest first...
CREATE INDEX attachment_unattached ON attachment (created_at) WHERE message_id IS NULL AND deleted_at IS NULL;
-- ...and deleted uploads whose bytes are still to be deleted.
CREATE INDEX attachment_deleted ON attachment (deleted_at) WHERE deleted_at IS NOT NULL;
