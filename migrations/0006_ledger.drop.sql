DROP TABLE IF EXISTS ledger.mt_doc_switchnode CASCADE;
