"""The service layer: the rules. No boto3 here."""
