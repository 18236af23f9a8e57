self.commonsgenSearchIndex = {"version":2,"lang":"en","pages":4,"shards":[["","w-ddd9c40767f9"]]};
