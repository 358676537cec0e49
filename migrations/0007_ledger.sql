DO $$
BEGIN      IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'ledger') THEN
        BEGIN
          EXECUTE 'CREATE SCHEMA IF NOT EXISTS ledger';
        EXCEPTION
          WHEN duplicate_schema THEN NULL;
          WHEN unique_violation THEN NULL;
        END;
      END IF;

END
$$;


CREATE INDEX mt_doc_redemptionview_idx_requested_at ON ledger.mt_doc_redemptionview USING btree ((ledger.mt_immutable_timestamptz(data ->> 'requestedAt')));
CREATE INDEX mt_doc_redemptionview_idx_upstream_request_id ON ledger.mt_doc_redemptionview USING btree ((data ->> 'upstreamRequestId'));
