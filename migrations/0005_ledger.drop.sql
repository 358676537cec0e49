drop index if exists ledger.mt_doc_providerdelivery_idx_status;
drop index if exists ledger.mt_doc_redemptionview_idx_outcome;
