# Amazon RDS for PostgreSQL: the one database `fleetwatch` every service shares, with a schema per
# service (owned by fleetwatch_owner, which runs the migrations) and the app role fleetwatch_app (no
# BYPASSRLS: row-level security keeps tenants apart). Multi-AZ, encrypted with a customer key, TLS
# forced, master password managed by RDS in Secrets Manager, reachable on 5432 from the pod subnets only.
#
# The roles, and the two Secrets Manager secrets below that hold their connection URLs, are filled in
# once after the first apply (README.md "Database roles"); Terraform never sees those passwords.

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  major_version   = split(".", var.engine_version)[0]
  log_group_names = { for log in ["postgresql", "upgrade"] : log => "/aws/rds/instance/${var.name}/${log}" }
}

resource "aws_kms_key" "rds" {
  description             = "${var.name}: RDS PostgreSQL storage, Performance Insights, secrets and logs"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsOfThisInstance"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        Action = [
          "kms:Encrypt*",
          "kms:Decrypt*",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:Describe*",
        ]
        Resource = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/rds/instance/${var.name}/*"
          }
        }
      },
    ]
  })

  tags = var.tags
}

resource "aws_kms_alias" "rds" {
  name          = "alias/${var.name}-rds"
  target_key_id = aws_kms_key.rds.key_id
}

# Created before the instance so the exported logs land in groups with our retention and key.
resource "aws_cloudwatch_log_group" "rds" {
  for_each = local.log_group_names

  name              = each.value
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.rds.arn

  tags = var.tags
}

resource "aws_db_subnet_group" "this" {
  name        = var.name
  description = "Data subnets of ${var.name}"
  subnet_ids  = var.subnet_ids

  tags = var.tags
}

resource "aws_security_group" "rds" {
  name        = "${var.name}-rds"
  description = "PostgreSQL of ${var.name}: 5432 from the node and pod subnets only"
  vpc_id      = var.vpc_id

  ingress {
    description = "PostgreSQL from the EKS node and pod subnets"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = var.allowed_cidr_blocks
  }

  # No egress rule: the database opens no connections.

  tags = merge(var.tags, { Name = "${var.name}-rds" })
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-pg${local.major_version}-"
  family      = "postgres${local.major_version}"
  description = "${var.name}: TLS only, query and connection logging"

  # Every connection must use TLS: a DATABASE_URL needs sslmode (and the RDS CA, see README.md).
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "ssl_min_protocol_version"
    value = "TLSv1.2"
  }

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = tostring(var.log_min_duration_statement_ms)
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  parameter {
    name  = "log_lock_waits"
    value = "1"
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_iam_role" "monitoring" {
  name        = "${var.name}-rds-monitoring"
  description = "Enhanced monitoring of the ${var.name} DB instance"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "monitoring.rds.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
      }
    }]
  })

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_db_instance" "this" {
  identifier     = var.name
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class

  db_name                             = var.database_name
  username                            = var.master_username
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = aws_kms_key.rds.arn
  iam_database_authentication_enabled = var.iam_database_authentication

  allocated_storage     = var.allocated_storage_gib
  max_allocated_storage = var.max_allocated_storage_gib
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.rds.arn

  multi_az               = true
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.rds.id]
  publicly_accessible    = false
  port                   = 5432
  parameter_group_name   = aws_db_parameter_group.this.name
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  backup_retention_period   = var.backup_retention_days
  backup_window             = var.backup_window
  maintenance_window        = var.maintenance_window
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-final"

  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  apply_immediately           = false

  enabled_cloudwatch_logs_exports = keys(local.log_group_names)

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.rds.arn
  performance_insights_retention_period = 7

  monitoring_interval = var.monitoring_interval_seconds
  monitoring_role_arn = aws_iam_role.monitoring.arn

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.rds, aws_iam_role_policy_attachment.monitoring]
}

# Connection URLs of the schema owner and the app role (keys DATABASE_ADMIN_URL and DATABASE_URL), the
# source of each tenant namespace's fleetwatch-database Secret (External Secrets). Terraform creates
# the secrets only; the values are put once the roles exist (README.md), so no password is in the state.
resource "aws_secretsmanager_secret" "database_url" {
  # checkov:skip=CKV2_AWS_57:Rotating these needs ALTER ROLE in the database and a rollout of every tenant's services; done with the runbook in README.md, not with a rotation Lambda.
  name        = "${var.name}/fleetwatch-database"
  description = "DATABASE_URL (fleetwatch_app) and DATABASE_ADMIN_URL (fleetwatch_owner) of ${var.name}"
  kms_key_id  = aws_kms_key.rds.arn

  recovery_window_in_days = 30

  tags = var.tags
}
