variable "name" {
  description = "Identifier of the DB instance and prefix of its resources (e.g. fleetwatch-prod)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,50}[a-z0-9]$", var.name))
    error_message = "name must be lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "ID of the VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Data subnets of the DB subnet group (network module's data_subnet_ids)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "A Multi-AZ DB instance needs subnets in at least two availability zones."
  }
}

variable "allowed_cidr_blocks" {
  description = "Networks allowed to connect on the PostgreSQL port: the private node and pod subnets (VPC CNI), nothing else."
  type        = list(string)

  validation {
    condition     = length(var.allowed_cidr_blocks) > 0 && alltrue([for cidr in var.allowed_cidr_blocks : can(cidrhost(cidr, 0)) && cidr != "0.0.0.0/0"])
    error_message = "allowed_cidr_blocks must list valid private IPv4 CIDR blocks (never 0.0.0.0/0)."
  }
}

variable "engine_version" {
  description = "PostgreSQL version. A major version alone (\"17\") lets RDS pick the current minor version and auto_minor_version_upgrade move it without drift."
  type        = string
  default     = "17"

  validation {
    condition     = can(regex("^1[6-9](\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be PostgreSQL 16 or later, e.g. 17 or 17.6."
  }
}

variable "instance_class" {
  description = "DB instance class."
  type        = string
  default     = "db.m7g.large"
}

variable "allocated_storage_gib" {
  description = "Initial storage (gp3), in GiB."
  type        = number
  default     = 100
}

variable "max_allocated_storage_gib" {
  description = "Upper bound of storage autoscaling, in GiB."
  type        = number
  default     = 1000
}

variable "database_name" {
  description = "The database the services share (one schema per service)."
  type        = string
  default     = "fleetwatch"
}

variable "master_username" {
  description = "Master user (rds_superuser). Its password is generated and rotated by RDS in Secrets Manager; the services never use it."
  type        = string
  default     = "fleetwatch_master"
}

variable "iam_database_authentication" {
  description = "Allow IAM database authentication (for operators; the services use passwords from their Secrets)."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery)."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 7 and 35."
  }
}

variable "backup_window" {
  description = "Daily backup window (UTC)."
  type        = string
  default     = "02:00-03:00"
}

variable "maintenance_window" {
  description = "Weekly maintenance window (UTC); must not overlap the backup window."
  type        = string
  default     = "sun:03:30-sun:04:30"
}

variable "deletion_protection" {
  description = "Refuse to delete the DB instance (turn off explicitly before a deliberate destroy)."
  type        = bool
  default     = true
}

variable "monitoring_interval_seconds" {
  description = "Enhanced monitoring interval, in seconds."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 5, 10, 15, 30, 60], var.monitoring_interval_seconds)
    error_message = "monitoring_interval_seconds must be one of 1, 5, 10, 15, 30, 60."
  }
}

variable "log_min_duration_statement_ms" {
  description = "Statements slower than this are logged (log_min_duration_statement), in milliseconds."
  type        = number
  default     = 1000
}

variable "log_retention_days" {
  description = "Retention of the PostgreSQL log groups in CloudWatch Logs, in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts (e.g. 365)."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
