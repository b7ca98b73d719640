//! The policybook engine: text normalisation, search and the eligibility rules (in progress).
