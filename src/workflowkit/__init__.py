"""workflowkit: workflow-as-code for accounting practices."""
__version__ = "0.1.0"
