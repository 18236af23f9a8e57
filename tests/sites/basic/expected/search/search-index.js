self.commonsgenSearchIndex = {"version":2,"lang":"en","pages":4,"shards":[["00","w-402172a3bc8f"]]};
