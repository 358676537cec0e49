DROP TABLE IF EXISTS ledger.mt_doc_consolekey CASCADE;
DROP TABLE IF EXISTS ledger.mt_doc_settlementreport CASCADE;
