# State in the bucket deploy/terraform/bootstrap creates: its output backend_config is this block with
# the real bucket name (it contains the account id) and key ARN. Locking with a lock file next to the
# state (S3 conditional writes), no DynamoDB table. Per-account values can also be given at init time:
# terraform init -backend-config="bucket=..." -backend-config="kms_key_id=...".
terraform {
  backend "s3" {
    bucket       = "fleetwatch-tfstate-123456789012-eu-west-1"
    key          = "envs/prod/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    kms_key_id   = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
    use_lockfile = true
  }
}
